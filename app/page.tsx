import { StackList } from "./StackList";

export default function HomePage() {
  return (
    <>
      <div className="page-head">
        <h1>Stacks</h1>
      </div>
      <StackList />
    </>
  );
}
