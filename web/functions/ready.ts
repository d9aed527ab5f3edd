// /ready on the dashboard's origin answers from the API Worker.
import { forwardToApi } from "./_shared/forward";

export const onRequest = forwardToApi;
