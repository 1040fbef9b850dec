/**
 * The replication mechanisms every protocol shares: a new protocol is its own rules plus
 * these parts. One module each, named for what it is:
 * - ackedPrefix: the prefix enough copies hold (the commit point), and answering waiting writes;
 * - snapshotLog: a log with a snapshot base, its length, entries and holdings;
 * - catchUp: what to send a lagging copy next (a snapshot or the next batch);
 * - shipping: send at once or in batches on a timer;
 * - walReplay: rebuild a node from its durable write-ahead log;
 * - forwarding: pass a client request on to the node that can serve it;
 * - messages: Maelstrom's vocabulary between nodes, and telling a client's message from a node's;
 * - errorCodes: Maelstrom's error codes by name, and which are definite;
 * - settings: a defaults object and one resolve function per protocol;
 * - messageSize: the modelled bytes of a message;
 * - versionVector: version vectors, to tell concurrent writes from ordered ones.
 *
 * Introduced in notebooks/01.00-Durability.ipynb.
 */
export { prefixHeldBy, settleWaiting, type WaitingWrite } from "./ackedPrefix.js";
export { logLength, entryOf, holdings, logHoldings, type SnapshotLog, type KeyValue } from "./snapshotLog.js";
export { planCatchUp, type CatchUpFrom, type CatchUpStep } from "./catchUp.js";
export { SHIP_TIMER, shipLater } from "./shipping.js";
export { replayWal } from "./walReplay.js";
export { forwardBody, unwrapForward } from "./forwarding.js";
export { isFromClient, replyType, request } from "./messages.js";
export { ERROR, DEFINITE_ERRORS, isDefiniteError, errorBody, type ErrorCode } from "./errorCodes.js";
export { withDefaults } from "./settings.js";
export { messageSize, HEADER_BYTES, PAIR_BYTES } from "./messageSize.js";
export { compareVv, dominates, mergeVv, incrementVv, reconcile, EMPTY_VV, type VersionVector, type VvOrder } from "./versionVector.js";
