import Link from "next/link";
import { StackList } from "./StackList";

export default function HomePage() {
  return (
    <>
      <div className="page-head">
        <h1>Stacks</h1>
        <Link className="button button-primary" href="/stacks/new">
          New stack
        </Link>
      </div>
      <StackList />
    </>
  );
}
