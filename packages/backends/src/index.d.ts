export interface PinnedVersions {
  components: Record<string, { version: string; commands?: Record<string, string>; [field: string]: unknown }>;
}
export declare const REPO_ROOT: string;
export declare function versionsFile(env?: NodeJS.ProcessEnv): string;
export declare function cacheDir(env?: NodeJS.ProcessEnv): string;
export declare function readVersions(file?: string): PinnedVersions;
export declare function ownerOf(command: string, versions?: PinnedVersions): { component: string; version: string };
export declare function binaryPath(command: string, options?: { env?: NodeJS.ProcessEnv; versions?: PinnedVersions }): string;
