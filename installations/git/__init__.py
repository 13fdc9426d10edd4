"""Installation repositories over git: smart HTTP, API tokens, push checks, change requests.

`http.git_http` serves `/git/<workspace>/<installation>.git/...` with `git http-backend`;
`hooks` installs the pre-/post-receive hooks and answers them inside the view's own
process (docs/git.md); `checks` decides whether a push is accepted; `change_requests`
turns `review/<name>` branches into reviews; `tokens` makes and checks API tokens.
"""
