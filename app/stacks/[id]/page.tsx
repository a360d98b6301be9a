import { StackPage } from "./StackPage";

export const metadata = { title: "Stack · Kiln" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <StackPage idOrName={decodeURIComponent(id)} />;
}
