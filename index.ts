export { FeishuAttendance } from './nodes/FeishuAttendance/FeishuAttendance.node';
export { FeishuAttendanceTrigger } from './nodes/FeishuAttendanceTrigger/FeishuAttendanceTrigger.node';
export { FeishuAttendanceApi } from './credentials/FeishuAttendanceApi.credentials';
