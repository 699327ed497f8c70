export { meRoutes } from './me.routes';
export { myCredit, myReads } from './me.service';
export { logDataRead, nonPublicFields, type DataRead } from './me.reads';
