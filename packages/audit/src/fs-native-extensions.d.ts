// The part of fs-native-extensions (no types of its own) that the spool uses.
declare module 'fs-native-extensions' {
  /**
   * Locks `fd` without waiting (Linux: fcntl F_OFD_SETLK, an open-file-description lock; macOS: flock;
   * Windows: LockFileEx). True when granted, false when another descriptor holds it. The lock goes
   * when the descriptor is closed, including by the kernel when the process dies.
   */
  export function tryLock(fd: number, options?: { shared?: boolean }): boolean;
}
