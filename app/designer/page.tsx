import { NewDesigner } from "./components/NewDesigner";

export const metadata = { title: "Designer · Kiln" };

export default function Page() {
  return <NewDesigner />;
}
