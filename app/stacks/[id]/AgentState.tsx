"use client";
import { useEffect, useState } from "react";
import { RelativeTime } from "../../components/RelativeTime";
import { api, type ApiOutput } from "../../lib/trpc";
import { CopyButton } from "./Panels";
import type { AgentState } from "./liveResources";

/** The graph node's one line: is the server's agent connected, and how (or when it was last seen). */
export function AgentLine({ agent }: { agent: AgentState | null | undefined }) {
  if (agent === undefined) return null;
  const connected = !!agent?.connected;
  return (
    <div className={`rnode-agent${connected ? " rnode-agent-on" : ""}`} data-testid="node-agent" data-connected={connected}>
      <span className="agent-dot" aria-hidden />
      {connected ? (
        <span>agent connected · {agent!.transport}</span>
      ) : agent?.lastSeenAt ? (
        <span>
          agent not connected · seen <RelativeTime iso={agent.lastSeenAt} />
        </span>
      ) : (
        <span>agent not connected yet</span>
      )}
    </div>
  );
}

type Command = ApiOutput["software"]["agentCommands"][number];

/**
 * The panel's section for a server Kiln's agent serves: its agent's state in full, and the command that
 * connects one. The command holds the server's credential: it is read only for members and
 * admins (readers are told why they see none), and shown masked until asked for.
 */
export function AgentSection({ agent, stackId, name, serverId }: { agent: AgentState | null | undefined; stackId: string; name: string; serverId: string | null }) {
  const [command, setCommand] = useState<Command | null>();
  const [refused, setRefused] = useState<string>();
  const [revealed, setRevealed] = useState(false);
  useEffect(() => {
    let live = true;
    setCommand(undefined);
    setRefused(undefined);
    api.software.agentCommands
      .query({ stack: stackId })
      .then((all) => live && setCommand(all.find((c) => c.resourceName === name && c.serverId === serverId) ?? null))
      .catch((e: { data?: { code?: string }; message: string }) => live && setRefused(e.data?.code === "FORBIDDEN" ? "forbidden" : e.message));
    return () => {
      live = false;
    };
  }, [stackId, name, serverId]);

  const connected = !!agent?.connected;
  const since = connected ? agent?.connectedAt : agent?.disconnectedAt;
  // One argument a line (shell continuations), so nothing wraps mid-flag; copied as shown.
  const text = (credential: string) => (command ? `KILN_AGENT_CREDENTIAL='${credential}' \\\n  kiln agent --url ${command.url} \\\n  --server ${command.serverId}` : "");
  return (
    <section className="resource-panel-section" data-testid="agent-section">
      <h3>Kiln&apos;s agent</h3>
      <p className={`agent-state${connected ? " agent-state-on" : ""}`} data-testid="agent-state" data-connected={connected}>
        <span className="agent-dot" aria-hidden />
        {connected ? "Agent connected" : "Agent not connected"}
      </p>
      {agent && (
        <dl className="kv">
          <div className="kv-row">
            <dt>
              <span className="kv-key">Transport</span>
            </dt>
            <dd data-testid="agent-transport">{agent.transport}</dd>
          </div>
          <div className="kv-row">
            <dt>
              <span className="kv-key">{connected ? "Connected" : "Disconnected"}</span>
            </dt>
            <dd>
              {since ? <RelativeTime iso={since} /> : "—"}
              {agent.address && <span className="muted"> from {agent.address}</span>}
            </dd>
          </div>
          <div className="kv-row">
            <dt>
              <span className="kv-key">Last seen</span>
            </dt>
            <dd>{agent.lastSeenAt ? <RelativeTime iso={agent.lastSeenAt} /> : "—"}</dd>
          </div>
        </dl>
      )}
      {agent === null && <p className="muted small">No agent has connected to this server yet.</p>}
      {/* Folded once an agent is connected: then it is only needed to move the agent elsewhere. */}
      <details className="agent-connect" open={!connected}>
        <summary>{connected ? "Command to connect an agent" : "Connect an agent"}</summary>
        {refused === "forbidden" ? (
          <p className="muted small" data-testid="agent-command-refused">
            The command holds the server&apos;s credential, so only the project&apos;s members and admins see it. Ask one of them to connect the agent.
          </p>
        ) : refused ? (
          <p className="notice notice-error">{refused}</p>
        ) : command === undefined ? (
          <p className="muted small">…</p>
        ) : command === null ? (
          <p className="muted small">This server has no credential now (it is being deleted, or not created yet).</p>
        ) : (
          <>
            <p className="muted small">Run this on the server (it keeps running; deployments are pushed to it):</p>
            <pre className="agent-command" data-testid="agent-command" data-revealed={revealed}>
              {text(revealed ? command.credential : "••••••••")}
            </pre>
            <div className="agent-command-actions">
              <CopyButton text={text(command.credential)} label="the command to connect an agent" />
              <button type="button" className="button button-small" onClick={() => setRevealed((v) => !v)}>
                {revealed ? "Hide credential" : "Show credential"}
              </button>
            </div>
          </>
        )}
      </details>
    </section>
  );
}
