import { Administration } from "./Administration";

export const metadata = { title: "Administration · Kiln" };

export default function AdminPage() {
  return (
    <>
      <div className="page-head">
        <h1>Administration</h1>
      </div>
      <Administration />
    </>
  );
}
