import { prefetchScript } from "../../lib/prefetch";
import { StackPage } from "./StackPage";
import { stackPageQueries } from "./stackQueries";

export const metadata = { title: "Stack · Kiln" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const idOrName = decodeURIComponent(id);
  return (
    <>
      {/* The stack's data is asked for as this HTML arrives, not once the page's scripts have run. */}
      <script dangerouslySetInnerHTML={{ __html: prefetchScript(stackPageQueries(idOrName)) }} />
      <StackPage idOrName={idOrName} />
    </>
  );
}
