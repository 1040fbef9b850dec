/**
 * Conflict-free replicated data types: pure, immutable, state-based, each with `merge`.
 *
 * Introduced in notebooks/04.00-Multi-Leader-Replication.ipynb; the
 * multi-value register is the siblings of notebooks/05.00-Leaderless-Replication.ipynb.
 */
export { gCounter, gIncrement, gValue, mergeGCounter } from "./gCounter.js";
export type { GCounter } from "./gCounter.js";
export { pnCounter, pnIncrement, pnDecrement, pnValue, mergePNCounter } from "./pnCounter.js";
export type { PNCounter } from "./pnCounter.js";
export { orSet, orAdd, orRemove, orHas, orElements, orTag, mergeOrSet } from "./orSet.js";
export type { OrSet, OrSetElement } from "./orSet.js";
export { lwwRegister, lwwAssign, lwwValue, mergeLwwRegister } from "./lwwRegister.js";
export type { LwwRegister } from "./lwwRegister.js";
export { mvRegister, mvAssign, mvValues, mergeMvRegister } from "./mvRegister.js";
export type { MvRegister, MvEntry } from "./mvRegister.js";
export { mergeCrdt, crdtValue, CRDT_TYPES } from "./crdt.js";
export type { Crdt } from "./crdt.js";
