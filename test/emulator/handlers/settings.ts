/**
 * Face photos (Feishu docs attendance-v1 user_setting/query, user_setting/modify, file/upload, file/download):
 *   POST files/upload?file_name=        multipart/form-data, part `file` → data.file.file_id
 *   GET  files/:file_id/download        the photo's bytes
 *   GET  user_settings/query            (GET with a JSON body) user_ids → data.user_settings[] {user_id, face_key, face_key_update_time}
 *   POST user_settings/modify           user_setting {user_id, face_key, face_key_update_time?} → data.user_setting
 *
 * Rules: `employee_type` (employee_id | employee_no) required on the user_settings endpoints; upload needs
 * `file_name` with a suffix (jpg / jpeg / png accepted, as a face photo: UNCONFIRMED which suffixes Feishu takes,
 * docs/ASSUMPTIONS.md#face-photos) and a non-empty `file` part; `face_key` must be the file_id of an uploaded
 * file; employees without a photo are left out of the query's answer (UNCONFIRMED). Unknown employees 400/1220004,
 * outside the data permission 400/1220005; a missing file 400/1220600; parameter errors 400/1220001.
 */
import { randomBytes } from 'crypto';
import { ok, type EmulatorState, type Reply, type RequestContext } from '../context';
import { generalError, paramError } from '../errors';
import { nowSeconds } from '../time';
import { requireUsers } from '../users';
import { employeeTypeOf, idList, isObject, validateFields } from '../validate';

const SUFFIXES = ['jpg', 'jpeg', 'png'];

interface StoredFile {
	file_id: string;
	file_name: string;
	data: Buffer;
}
interface FaceSetting {
	face_key: string;
	face_key_update_time: string;
}

const files = (state: EmulatorState) => state.store.of<StoredFile>('files');
/** employee_id -> face setting */
const faces = (state: EmulatorState) => state.store.of<FaceSetting>('faces');

/** The part named `name` of a multipart/form-data body, or undefined. */
function multipartPart(raw: Buffer, contentType: string, name: string): Buffer | undefined {
	const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	if (!boundary) return undefined;
	const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
	let start = raw.indexOf(delimiter);
	while (start !== -1) {
		const next = raw.indexOf(delimiter, start + delimiter.length);
		if (next === -1) break;
		const part = raw.subarray(start + delimiter.length, next);
		const headerEnd = part.indexOf('\r\n\r\n');
		if (headerEnd !== -1) {
			const headers = part.subarray(0, headerEnd).toString('utf8');
			if (new RegExp(`name="${name}"`).test(headers)) {
				const content = part.subarray(headerEnd + 4);
				return content.subarray(
					0,
					content.length - (content.subarray(-2).toString() === '\r\n' ? 2 : 0),
				);
			}
		}
		start = next;
	}
	return undefined;
}

/** POST /files/upload */
export function uploadFile({ state, query, rawBody, headers }: RequestContext): Reply {
	const name = query.get('file_name') ?? '';
	if (!name) throw paramError('file_name is required');
	const suffix = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
	if (!suffix || !SUFFIXES.includes(suffix))
		throw paramError(`file_name must end with .${SUFFIXES.join(', .')}`);
	const type = String(headers['content-type'] ?? '');
	if (!/^multipart\/form-data/i.test(type))
		throw paramError('Content-Type must be multipart/form-data');
	const data = multipartPart(rawBody, type, 'file');
	if (!data || data.length === 0) throw paramError('file is required');
	const fileId = randomBytes(16).toString('hex');
	files(state).set(fileId, { file_id: fileId, file_name: name, data: Buffer.from(data) });
	return ok({ file: { file_id: fileId } });
}

/** GET /files/:id/download — the bytes, content type by suffix. */
export function downloadFile({ state, params }: RequestContext): Reply {
	const file = params.id ? files(state).get(params.id) : undefined;
	if (!file) throw generalError('file does not exist');
	const png = /\.png$/i.test(file.file_name);
	return {
		status: 200,
		body: {},
		binary: { data: file.data, contentType: png ? 'image/png' : 'image/jpeg' },
	};
}

/** GET /user_settings/query */
export function queryUserSettings({ state, query, body }: RequestContext): Reply {
	const type = employeeTypeOf(query);
	const ids = idList(body, 'user_ids', Number.MAX_SAFE_INTEGER);
	const users = requireUsers(state.directory, ids, type);
	const settings = users
		.map(({ id, employee }) => ({ id, face: faces(state).get(employee.employee_id) }))
		.filter((u) => u.face)
		.map(({ id, face }) => ({ user_id: id, ...face }));
	return ok({ user_settings: settings });
}

/** POST /user_settings/modify */
export function modifyUserSetting({ state, query, body }: RequestContext): Reply {
	const type = employeeTypeOf(query);
	const setting = body.user_setting;
	if (!isObject(setting)) throw paramError('user_setting is required');
	validateFields(
		setting,
		{
			user_id: { type: 'string' },
			face_key: { type: 'string' },
			face_key_update_time: { type: 'digits', optional: true },
		},
		'user_setting',
	);
	const [{ employee }] = requireUsers(state.directory, [setting.user_id as string], type);
	if (!files(state).has(setting.face_key as string))
		throw paramError('user_setting.face_key is not an uploaded file');
	const stored = {
		face_key: setting.face_key as string,
		face_key_update_time:
			(setting.face_key_update_time as string | undefined) ?? String(nowSeconds()),
	};
	faces(state).set(employee.employee_id, stored);
	return ok({ user_setting: { user_id: setting.user_id, ...stored } });
}
