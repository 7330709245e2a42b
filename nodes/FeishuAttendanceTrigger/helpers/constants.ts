/** Attendance event types (Feishu: https://open.feishu.cn/document/server-docs/attendance-v1/event/user-attendance-records-event and user-task-status-change-event). */
export const EVENT_FLOW_CREATED = 'attendance.user_flow.created_v1';
export const EVENT_TASK_UPDATED = 'attendance.user_task.updated_v1';
/** "Any Attendance Event": every event type that starts with `attendance.`. */
export const EVENT_ANY = '*';
export const ATTENDANCE_EVENT_PREFIX = 'attendance.';

/** `current_status` values of `attendance.user_task.updated_v1` status changes. */
export const TASK_STATUSES = [
	'Normal',
	'Early',
	'Late',
	'Lack',
	'NoNeedCheck',
	'SystemCheck',
] as const;
type TaskStatus = (typeof TASK_STATUSES)[number];

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
type TaskSupplement = (typeof TASK_SUPPLEMENTS)[number];

/** How a list value is shown in the trigger's options (`Record` = every value of the list has one). */
export interface OptionLabel {
	name: string;
	description?: string;
}

export const TASK_STATUS_LABELS: Record<TaskStatus, OptionLabel> = {
	Normal: { name: 'Normal' },
	Early: { name: 'Early' },
	Late: { name: 'Late' },
	Lack: { name: 'Lack', description: 'Missing punch' },
	NoNeedCheck: { name: 'No Need to Check' },
	SystemCheck: { name: 'System Check' },
};

export const TASK_SUPPLEMENT_LABELS: Record<TaskSupplement, OptionLabel> = {
	None: { name: 'None' },
	ManagerModification: { name: 'Manager Modification' },
	CardReplacement: { name: 'Correction Approved' },
	ShiftChange: { name: 'Shift Change' },
	Travel: { name: 'Travel' },
	Leave: { name: 'Leave' },
	GoOut: { name: 'Go Out' },
	CardReplacementApplication: { name: 'Correction Pending' },
	FieldPunch: { name: 'Field Punch' },
};

export const DEFAULT_MAX_TIMESTAMP_AGE_SECONDS = 300;

/** Employee ID Type of the trigger's Employee IDs filter: which ID of the event the listed IDs are compared with. */
export const EMPLOYEE_ID_ANY = 'any';
export const EMPLOYEE_ID_TYPES = [EMPLOYEE_ID_ANY, 'employee_id', 'employee_no'] as const;

/**
 * Timezone option of the trigger (the zone of its ISO 8601 times): the event's own zone when it carries one
 * (result changes carry their attendance group's `time_zone`), else the workflow's; or the workflow's zone
 * always; or a zone from the list.
 */
export const TIMEZONE_EVENT_OR_WORKFLOW = '';
export const TIMEZONE_WORKFLOW = 'workflow';
