// Watchers of a run over hibernatable WebSockets. A new watcher gets the run's whole history
// first, then live events; SQLite reads are synchronous, so no event can fall between the
// replay and the first live send. Sockets are read-only: a watcher may send a heartbeat (and
// gets the run's status back); anything else, or anything malformed, gets an error message.
// Each socket carries its watcher's principal (in its attachment, which survives hibernation)
// so the coordinator can close it when that principal loses access.
import {
  isTerminal,
  type MessageBody,
  PROTOCOL_VERSION,
  parseSwarmMessage,
  SwarmMessage,
} from "@hive/shared/swarm-protocol";
import type { SocketPrincipal } from "../worker/auth/live-principal";
import type { GuardedSocket } from "../worker/auth/socket-guard";
import type { RunState } from "../worker/swarm/run-state";
import type { SwarmStore } from "./swarm-store";

interface WatcherAttachment {
  principal: SocketPrincipal;
}

export function acceptWatcher(
  ctx: DurableObjectState,
  store: SwarmStore,
  run: RunState,
  principal: SocketPrincipal,
): Response {
  const pair = new WebSocketPair();
  const [client, server] = [pair[0], pair[1]];
  ctx.acceptWebSocket(server);
  server.serializeAttachment({ principal } satisfies WatcherAttachment);
  for (const frame of store.eventFrames()) server.send(frame);
  if (isTerminal(run.status)) server.close(1000, "run ended");
  return new Response(null, { status: 101, webSocket: client });
}

/** A watcher as the socket guard sees it. */
export const guardedWatcher = (ws: WebSocket): GuardedSocket => ({
  principal: (ws.deserializeAttachment() as Partial<WatcherAttachment> | null)?.principal,
  close: (code, reason) => ws.close(code, reason),
});

const reply = (ws: WebSocket, run: RunState, body: MessageBody) => {
  // Replies are not part of the run's history: seq 0.
  ws.send(JSON.stringify(SwarmMessage.parse({ v: PROTOCOL_VERSION, run_id: run.id, seq: 0, ...body })));
};

export function answerWatcher(ws: WebSocket, data: string | ArrayBuffer, run: RunState, lastSeq: number): void {
  const parsed = parseSwarmMessage(data);
  if (!parsed.ok) {
    reply(ws, run, { type: "error", code: parsed.error.code, message: parsed.error.message });
    return;
  }
  if (parsed.message.type === "heartbeat") {
    reply(ws, run, { type: "heartbeat", status: run.status, last_seq: lastSeq });
    return;
  }
  reply(ws, run, {
    type: "error",
    code: "READ_ONLY",
    message: `this socket only streams the run's events; send heartbeat, or use POST /api/swarm/runs/${run.id}/cancel to cancel`,
  });
}

export function broadcast(ctx: DurableObjectState, message: SwarmMessage): void {
  const frame = JSON.stringify(message);
  for (const ws of ctx.getWebSockets()) {
    try {
      ws.send(frame);
    } catch {
      // A socket closing under us; its close handler cleans up.
    }
  }
}

export function closeWatchers(ctx: DurableObjectState): void {
  for (const ws of ctx.getWebSockets()) {
    try {
      ws.close(1000, "run ended");
    } catch {
      // already closed
    }
  }
}
