import { headers } from "next/headers";
import { prefetchScript } from "../../lib/prefetch";
import { StackPage } from "./StackPage";
import { stackPageQueries } from "./stackQueries";

export const metadata = { title: "Stack · Kiln" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const idOrName = decodeURIComponent(id);
  // A link followed within the app asks for the page's React payload only (the RSC header): no
  // script runs from that, so none is sent.
  const document = !(await headers()).has("rsc");
  return (
    <>
      {/* The stack's data is asked for as this HTML arrives, not once the page's scripts have run. */}
      {document && <script dangerouslySetInnerHTML={{ __html: prefetchScript(stackPageQueries(idOrName)) }} />}
      <StackPage idOrName={idOrName} />
    </>
  );
}
