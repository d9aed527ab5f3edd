/** The sign-in page (any page that needs a session also shows the form in its place). */
export const LOGIN_PATH = "/login";
