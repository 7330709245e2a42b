/** Attendance event types (feishu-api.md §7.1). */
export const EVENT_FLOW_CREATED = 'attendance.user_flow.created_v1';
export const EVENT_TASK_UPDATED = 'attendance.user_task.updated_v1';
/** "Any Attendance Event": every event type that starts with `attendance.`. */
export const EVENT_ANY = '*';
export const ATTENDANCE_EVENT_PREFIX = 'attendance.';

/** `current_status` values of `attendance.user_task.updated_v1` status changes. */
export const TASK_STATUSES = ['Normal', 'Early', 'Late', 'Lack', 'NoNeedCheck', 'SystemCheck'] as const;

/** `current_supplement` values of `attendance.user_task.updated_v1` status changes. */
export const TASK_SUPPLEMENTS = [
	'None',
	'ManagerModification',
	'CardReplacement',
	'ShiftChange',
	'Travel',
	'Leave',
	'GoOut',
	'CardReplacementApplication',
	'FieldPunch',
] as const;

export const CREDENTIAL_TYPE = 'feishuAttendanceApi';
export const DEFAULT_MAX_TIMESTAMP_AGE_SECONDS = 300;
