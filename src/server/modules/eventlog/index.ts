export { eventlogRoutes } from './eventlog.routes';
