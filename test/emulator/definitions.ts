/**
 * The definitions check: every request the emulator receives on an attendance endpoint (and on contact
 * users/batch_get_id) is checked against Lark's published definitions of that endpoint, the zod schemas of Lark's
 * official MCP server (`@larksuiteoapi/lark-mcp` 0.5.1, a devDependency; source: larksuite/lark-openapi-mcp
 * `src/mcp-tool/tools/en/gen-tools/zod/attendance_v1.ts`, `contact_v3.ts`).
 *
 * Checked: path parameters, query parameters and the JSON body — every field must be defined (at every depth),
 * of the defined type (query values are text on the wire: a number must be digits, a boolean true/false), an
 * enum value must be one of the defined values, and required fields must be present. Deviations Lark's docs or
 * SDK define but the schemas omit are listed, with their source, in ./definitions-allowlist.ts (and in
 * docs/ASSUMPTIONS.md#definitions-allowlist).
 *
 * A refused request is answered 400 with code DEFINITIONS_CODE and a message naming the field and the schema, and
 * recorded: test/setup/definitions.ts fails the running test for every recorded violation, so every test of the
 * suite is a definitions check. Tests that send undefined requests on purpose (to see Feishu's own error
 * answers) mark the request with the header `x-emulator-definitions: off` (or expect and take the violation).
 *
 * Only the schema file is loaded (it needs nothing but zod); no network, no MCP server.
 */
import { DEFINITION_ALLOWLIST, type AllowedDeviation } from './definitions-allowlist';

/** The answer code of a request the definitions refuse (not a Feishu code: Feishu has no such check). */
export const DEFINITIONS_CODE = 99_000_400;
/** Request header that skips the check for one request (for tests of the emulator's own answers to bad input). */
export const SKIP_HEADER = 'x-emulator-definitions';

/** The subset of zod 3's internal definition this walker reads. */
interface ZodLike {
	_def: {
		typeName: string;
		innerType?: ZodLike;
		type?: ZodLike;
		values?: readonly string[];
		value?: unknown;
		options?: ZodLike[];
		schema?: ZodLike;
		valueType?: ZodLike;
		shape?: () => Record<string, ZodLike>;
	};
}

interface ToolDefinition {
	name: string;
	path: string;
	httpMethod: string;
	schema: { data?: ZodLike; params?: ZodLike; path?: ZodLike };
}

const SCHEMA_DIR = '@larksuiteoapi/lark-mcp/dist/mcp-tool/tools/en/gen-tools/zod';
/** where the schema files come from, named in every refusal */
export const SCHEMA_SOURCE = '@larksuiteoapi/lark-mcp@0.5.1';
/** the one contact endpoint the node uses (employee lookups by e-mail or mobile) */
const CONTACT_NAMES = ['contact.v3.user.batchGetId'];

let tools: ToolDefinition[] | undefined;
let contact: ToolDefinition[] | undefined;

/** The 37 attendance endpoint definitions (loaded once). */
export function attendanceDefinitions(): ToolDefinition[] {
	if (!tools) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		tools = (require(`${SCHEMA_DIR}/attendance_v1`) as { attendanceV1Tools: ToolDefinition[] })
			.attendanceV1Tools;
	}
	return tools;
}

/** The contact endpoint definitions the emulator answers (loaded once). */
export function contactDefinitions(): ToolDefinition[] {
	if (!contact) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const all = (require(`${SCHEMA_DIR}/contact_v3`) as { contactV3Tools: ToolDefinition[] })
			.contactV3Tools;
		contact = all.filter((t) => CONTACT_NAMES.includes(t.name));
	}
	return contact;
}

/** `/open-apis/attendance/v1/groups/:group_id` → `/open-apis/attendance/v1/groups/:id` (the emulator's route form). */
const routeForm = (path: string) => path.replace(/:[a-z_]+/g, ':id');

/** The definition of a route (method + emulator pattern), or undefined when the schemas have none. */
export function definitionOf(method: string, pattern: string): ToolDefinition | undefined {
	const match = (t: ToolDefinition) => t.httpMethod === method && routeForm(t.path) === pattern;
	return attendanceDefinitions().find(match) ?? contactDefinitions().find(match);
}

// ---- the walker ----

const kind = (s: ZodLike) => s._def.typeName;

/** Strips optional / nullable / default wrappers; `optional` tells whether the field may be left out. */
function unwrap(s: ZodLike): { schema: ZodLike; optional: boolean; nullable: boolean } {
	let optional = false;
	let nullable = false;
	let current = s;
	for (;;) {
		const k = kind(current);
		if (k === 'ZodOptional' || k === 'ZodDefault') optional = true;
		else if (k === 'ZodNullable') nullable = true;
		else if (k === 'ZodEffects') {
			current = current._def.schema!;
			continue;
		} else return { schema: current, optional, nullable };
		current = current._def.innerType!;
	}
}

const describeType = (s: ZodLike): string => {
	const k = kind(s);
	if (k === 'ZodEnum') return `one of ${s._def.values!.map((v) => JSON.stringify(v)).join(', ')}`;
	if (k === 'ZodLiteral') return JSON.stringify(s._def.value);
	return (
		{
			ZodString: 'a string',
			ZodNumber: 'a number',
			ZodBoolean: 'a boolean',
			ZodObject: 'an object',
			ZodArray: 'an array',
		}[k] ?? k
	);
};

const typeOf = (v: unknown) =>
	v === null
		? 'null'
		: Array.isArray(v)
			? 'an array'
			: typeof v === 'string'
				? `${JSON.stringify(v)} (a string)`
				: `${JSON.stringify(v)} (${typeof v})`;

/** Checks one value against a schema; pushes `<where>: <problem>` lines. */
function check(value: unknown, schema: ZodLike, where: string, out: string[]): void {
	const { schema: s, nullable } = unwrap(schema);
	if (value === null) {
		if (!nullable) out.push(`${where}: null is not defined (expected ${describeType(s)})`);
		return;
	}
	switch (kind(s)) {
		case 'ZodString':
			if (typeof value !== 'string') out.push(`${where}: ${typeOf(value)} is not a string`);
			return;
		case 'ZodNumber':
			if (typeof value !== 'number' || !Number.isFinite(value))
				out.push(`${where}: ${typeOf(value)} is not a number`);
			return;
		case 'ZodBoolean':
			if (typeof value !== 'boolean') out.push(`${where}: ${typeOf(value)} is not a boolean`);
			return;
		case 'ZodEnum':
			if (!s._def.values!.includes(value as string))
				out.push(`${where}: ${typeOf(value)} is not ${describeType(s)}`);
			return;
		case 'ZodLiteral':
			if (value !== s._def.value) out.push(`${where}: ${typeOf(value)} is not ${describeType(s)}`);
			return;
		case 'ZodArray':
			if (!Array.isArray(value)) out.push(`${where}: ${typeOf(value)} is not an array`);
			else value.forEach((item, i) => check(item, s._def.type!, `${where}[${i}]`, out));
			return;
		case 'ZodObject':
			checkObject(value, s, where, out);
			return;
		case 'ZodUnion': {
			const sub = s._def.options!.map((o) => {
				const lines: string[] = [];
				check(value, o, where, lines);
				return lines;
			});
			if (!sub.some((lines) => lines.length === 0)) out.push(...sub[0]);
			return;
		}
		case 'ZodRecord':
			if (typeof value !== 'object' || Array.isArray(value))
				out.push(`${where}: ${typeOf(value)} is not an object`);
			else
				for (const [k, v] of Object.entries(value as object))
					check(v, s._def.valueType!, `${where}.${k}`, out);
			return;
		case 'ZodAny':
		case 'ZodUnknown':
			return;
		default:
			out.push(`${where}: the schema uses ${kind(s)}, which this check does not read`);
	}
}

const join = (where: string, field: string) => (where ? `${where}.${field}` : field);

function checkObject(value: unknown, s: ZodLike, where: string, out: string[]): void {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		out.push(`${where || 'body'}: ${typeOf(value)} is not an object`);
		return;
	}
	const shape = s._def.shape!();
	const body = value as Record<string, unknown>;
	for (const [field, v] of Object.entries(body)) {
		if (!(field in shape)) {
			if (v !== undefined) out.push(`${join(where, field)}: not defined`);
			continue;
		}
		if (v === undefined) continue;
		check(v, shape[field], join(where, field), out);
	}
	for (const [field, fieldSchema] of Object.entries(shape)) {
		if (body[field] === undefined && !unwrap(fieldSchema).optional)
			out.push(`${join(where, field)}: required`);
	}
}

/** Query values are text: convert each to what its schema expects before checking (multiple values: an array). */
function checkQuery(query: URLSearchParams, s: ZodLike | undefined, out: string[]): void {
	const shape = s ? unwrap(s).schema._def.shape!() : {};
	const names = [...new Set(query.keys())];
	for (const name of names) {
		const where = `query ${name}`;
		const fieldSchema = shape[name];
		if (!fieldSchema) {
			out.push(`${where}: not defined`);
			continue;
		}
		const inner = unwrap(fieldSchema).schema;
		const texts = query.getAll(name);
		const convert = (text: string, target: ZodLike): unknown => {
			const k = kind(unwrap(target).schema);
			if (k === 'ZodNumber') return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
			if (k === 'ZodBoolean') return text === 'true' ? true : text === 'false' ? false : text;
			return text;
		};
		const value =
			kind(inner) === 'ZodArray'
				? texts.map((t) => convert(t, inner._def.type!))
				: texts.length > 1
					? texts
					: convert(texts[0], inner);
		check(value, fieldSchema, where, out);
	}
	for (const [name, fieldSchema] of Object.entries(shape)) {
		if (!query.has(name) && !unwrap(fieldSchema).optional) out.push(`query ${name}: required`);
	}
}

export interface DefinitionRequest {
	method: string;
	/** the emulator's route pattern, e.g. /open-apis/attendance/v1/groups/:id */
	pattern: string;
	/** path parameter values in order */
	pathValues: string[];
	query: URLSearchParams;
	/** parsed JSON body ({} for an empty body) */
	body: Record<string, unknown>;
	/** whether the request carried a body at all */
	hasBody: boolean;
}

export interface Violation {
	/** e.g. 'POST /open-apis/attendance/v1/groups/search' */
	endpoint: string;
	/** the definition's name, e.g. attendance.v1.group.search */
	schema: string;
	problems: string[];
}

function allowed(
	deviations: readonly AllowedDeviation[],
	schema: string,
	problem: string,
): boolean {
	return deviations.some((d) => d.schema === schema && d.problem === problem);
}

/**
 * The problems of one request against its definition (allowlisted deviations removed); undefined when the schemas
 * do not define the route (e.g. files/upload, not an attendance/v1 definition in 0.5.1).
 */
export function checkRequest(
	req: DefinitionRequest,
	deviations: readonly AllowedDeviation[] = DEFINITION_ALLOWLIST,
): Violation | undefined {
	const def = definitionOf(req.method, req.pattern);
	if (!def) return undefined;
	checked.set(def.name, (checked.get(def.name) ?? 0) + 1);
	const out: string[] = [];
	const names = [...def.path.matchAll(/:([a-z_]+)/g)].map((m) => m[1]);
	if (def.schema.path) {
		const pathObject = Object.fromEntries(names.map((n, i) => [n, req.pathValues[i]]));
		checkObject(pathObject, unwrap(def.schema.path).schema, 'path', out);
	}
	checkQuery(req.query, def.schema.params, out);
	if (def.schema.data) {
		const { schema, optional } = unwrap(def.schema.data);
		if (req.hasBody || !optional) checkObject(req.body, schema, '', out);
	} else if (req.hasBody && Object.keys(req.body).length > 0) {
		out.push('body: not defined (the definition has no request body)');
	}
	const problems = out.filter((p) => !allowed(deviations, def.name, p));
	return problems.length
		? { endpoint: `${req.method} ${req.pattern}`, schema: def.name, problems }
		: undefined;
}

/** The answer message of a refused request: the fields and the schema. */
export const violationMessage = (v: Violation) =>
	`request not allowed by Feishu's definitions (${SCHEMA_SOURCE} ${v.schema}): ${v.problems.join('; ')}`;

// ---- the record (per process: one test file) ----

const recorded: Violation[] = [];
/** definition name -> requests checked against it (this process) */
const checked = new Map<string, number>();
let skipped = false;

/** How many requests were checked against each definition (for DEFINITIONS_REPORT). */
export const checkedCounts = (): Record<string, number> => Object.fromEntries(checked);

/**
 * For the running test only (test/emulator/jest-setup.ts turns the check back on after each test): requests are
 * not checked, so handlers give Feishu's own answer to bad input. For tests of that answer, and of Custom API Call
 * sending what the user wrote; never for tests of an operation.
 */
export function skipDefinitionsForThisTest(): void {
	skipped = true;
}

/** Called after each test. */
export function restoreDefinitionsCheck(): void {
	skipped = false;
}

export const definitionsSkipped = () => skipped;

export function recordViolation(v: Violation): void {
	recorded.push(v);
}

/** Returns and clears the violations recorded since the last call. */
export function takeViolations(): Violation[] {
	return recorded.splice(0, recorded.length);
}
