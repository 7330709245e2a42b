export { FeishuAttendance } from './nodes/FeishuAttendance/FeishuAttendance.node';
export { FeishuAttendancePollTrigger } from './nodes/FeishuAttendance/FeishuAttendancePollTrigger.node';
export { FeishuAttendanceTrigger } from './nodes/FeishuAttendanceTrigger/FeishuAttendanceTrigger.node';
export { FeishuAttendanceApi } from './credentials/FeishuAttendanceApi.credentials';
