import { EditStackDesigner } from "./EditStackDesigner";

export const metadata = { title: "Edit stack · Kiln" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <EditStackDesigner idOrName={decodeURIComponent(id)} />;
}
