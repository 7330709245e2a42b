/**
 * Under ts-node (npm run bench, the demo), Node resolves 'FeishuAttendance.node' to the codex file
 * FeishuAttendance.node.json before FeishuAttendance.node.ts: it tries '.json' before ts-node's '.ts'
 * (Jest tries '.ts' first). Moving '.json' behind '.ts' fixes the lookup. Imported first by the harness.
 */
const jsonLoader = require.extensions['.json'];
Reflect.deleteProperty(require.extensions, '.json');
require.extensions['.json'] = jsonLoader;

export {};
