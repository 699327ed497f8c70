export * from './bytes';
export * from './leaf';
export * from './note';
export { sha256 } from './sha256';
export { sm3 } from './sm3';
export * from './suites';
export * from './tiles';
export * from './tree';
