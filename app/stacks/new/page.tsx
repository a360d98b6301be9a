import Link from "next/link";
import { NewStackForm } from "./NewStackForm";

export const metadata = { title: "New stack · Kiln" };

export default function NewStackPage() {
  return (
    <>
      <div className="page-head">
        <div>
          <p className="crumbs">
            <Link href="/">Stacks</Link> / New
          </p>
          <h1>New stack</h1>
        </div>
      </div>
      <NewStackForm />
    </>
  );
}
