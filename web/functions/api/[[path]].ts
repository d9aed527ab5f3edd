// /api/*: the REST API and its docs.
import { forwardToApi } from "../_shared/forward";

export const onRequest = forwardToApi;
