import { CloudCredentials } from "./CloudCredentials";

export const metadata = { title: "Cloud · Kiln" };

export default function CloudPage() {
  return (
    <div className="cloud-page">
      <div className="page-head">
        <h1>Cloud</h1>
      </div>
      <CloudCredentials />
    </div>
  );
}
