// Cancelling a run that a coordinator Durable Object drives, the same for swarm and evaluation
// runs: the feature says who may, and a coordinator that no longer holds the run means a 404.
import { ApiError, notFound } from "./errors";

/** Cancels through `cancel` when `allowed`; the coordinator's answer, known to hold the run. */
export async function cancelRun<P extends PromiseLike<{ ok: boolean }>>(
  allowed: boolean,
  cancel: () => P,
): Promise<Extract<Awaited<P>, { ok: true }>> {
  if (!allowed) throw new ApiError("FORBIDDEN", "Only the run's creator or a workspace admin may cancel it");
  const result = await cancel();
  if (!result.ok) throw notFound("Run");
  return result as Extract<Awaited<P>, { ok: true }>;
}
