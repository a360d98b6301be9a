/** How the end-to-end suite signs in: the server under test starts with this admin password, and global setup keeps the admin's session here. */
export const E2E_ADMIN_PASSWORD = "e2e-admin-password";
/** Inside the server's throw-away data directory, which every run starts without. */
export const ADMIN_SESSION = "data/e2e/admin-session.json";
