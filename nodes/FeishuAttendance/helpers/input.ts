/** readList lives in nodes/shared/lists.ts (the trigger uses it too); this path stays for the operations. */
export * from '../../shared/lists';
