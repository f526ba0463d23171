export { findNatsServer, natsServerUnavailableReason, startNatsServer, type NatsServerHandle, type StartNatsServerOptions } from './start-nats-server.js';
