/** The credential type both nodes use (credentials/FeishuAttendanceApi.credentials.ts). */
export const CREDENTIAL_TYPE = 'feishuAttendanceApi';
