/** The value readers live in nodes/shared/values.ts (the trigger uses them too); this path stays for the operations. */
export * from '../../shared/values';
