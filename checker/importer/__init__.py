"""Importing a county's task list (政务公开工作任务分解表) into a profile skeleton:
`checker rules import FILE --id ID`. See docs/importing.md."""
