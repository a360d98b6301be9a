import { LoginForm } from "./LoginForm";

export const metadata = { title: "Sign in · Kiln" };

export default function LoginPage() {
  return (
    <div className="login">
      <h1>Sign in to Kiln</h1>
      <LoginForm />
      <p className="muted small login-help">
        First start? Sign in as <code>admin</code> with the password the server&apos;s log gives, also kept in <code>initial-admin-password</code> in its data directory.
      </p>
    </div>
  );
}
