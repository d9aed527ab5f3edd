// Cancelling a run that a coordinator Durable Object drives, the same for swarm and evaluation
// runs: the run's creator or a workspace admin may, and a coordinator that no longer holds the run
// means a 404.
import { ApiError, notFound } from "./errors";
import type { AuthenticatedPrincipal } from "./principal";

/** Whether `p` may cancel a run `row` (its creator, or an admin of its workspace). */
export const mayCancel = (p: AuthenticatedPrincipal, row: { createdBy: string | null }): boolean =>
  p.role === "admin" || row.createdBy === p.userId;

/** Cancels through `cancel` when `p` may; the coordinator's answer, known to hold the run. */
export async function cancelRun<P extends PromiseLike<{ ok: boolean }>>(
  p: AuthenticatedPrincipal,
  row: { createdBy: string | null },
  cancel: () => P,
): Promise<Extract<Awaited<P>, { ok: true }>> {
  if (!mayCancel(p, row)) throw new ApiError("FORBIDDEN", "Only the run's creator or a workspace admin may cancel it");
  const result = await cancel();
  if (!result.ok) throw notFound("Run");
  return result as Extract<Awaited<P>, { ok: true }>;
}
