// GET /api/monitoring: the workspace's requests, errors, latency, tokens and cost over a window.
import type { MonitoringResponse, MonitoringWindow } from "../api-types";
import { ApiCalls } from "./calls";
import type { CallOptions } from "./transport";

export type {
  MonitoringAgentRow,
  MonitoringFigures,
  MonitoringModelRow,
  MonitoringPoint,
  MonitoringResponse,
  MonitoringWindow,
} from "../api-types";

export interface MonitoringParams {
  window?: MonitoringWindow;
  /** Only this agent's traffic. */
  agent_id?: string;
}

export class MonitoringApi extends ApiCalls {
  get(params: MonitoringParams = {}, opts?: CallOptions): Promise<MonitoringResponse> {
    return this.read<MonitoringResponse>("/api/monitoring", { ...params }, opts);
  }
}
