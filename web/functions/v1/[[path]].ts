// /v1/*: the OpenAI-compatible API.
import { forwardToApi } from "../_shared/forward";

export const onRequest = forwardToApi;
