// Entry of the state check's worker threads: TypeScript runs through tsx's loader, registered here
// because loader hooks registered in the main thread do not reach workers.
import { register } from 'tsx/esm/api';

register();
await import('./audit.state.worker.ts');
