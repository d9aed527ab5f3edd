/** The sign-in page; `?next=/path` says where to go afterwards. */
export const LOGIN_PATH = "/login";
