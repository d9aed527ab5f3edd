// The swarm protocol and run records, for the Worker, the coordinator, the dashboard and the CLI.
export * from "./messages";
export * from "./parse";
export * from "./run";
