import { LoginForm } from "./LoginForm";

export const metadata = { title: "Sign in · Kiln" };

export default function LoginPage() {
  return (
    <div className="login">
      <h1>Sign in to Kiln</h1>
      <LoginForm />
    </div>
  );
}
