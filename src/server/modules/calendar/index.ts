export { calendarRoutes } from './calendar.routes';
export { workingCalendar, setOverride, listOverrides } from './calendar.service';
