export { accountsRoutes, authenticate, SESSION_COOKIE } from './accounts.routes';
export {
  createDepartment,
  createUser,
  createApiKey,
  departmentByUscc,
  getDepartment,
  listDepartments,
  sealPlaintextTotpSecrets,
  type Department,
  type User,
} from './accounts.service';
export { AccountErrors } from './accounts.errors';
