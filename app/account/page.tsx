import { ChangePasswordForm } from "./ChangePasswordForm";

export const metadata = { title: "Your account · Kiln" };

export default function AccountPage() {
  return (
    <div className="narrow-page">
      <div className="page-head">
        <h1>Your account</h1>
      </div>
      <ChangePasswordForm />
    </div>
  );
}
