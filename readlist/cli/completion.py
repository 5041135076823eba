"""`readlist completion bash|zsh|fish`: shell completion that answers without starting Python.

The script this prints knows readlist's commands and options (taken from the
command tree when it is printed) and reads paper ids, citation keys, tags,
source names and suggestion keys from the words file every write keeps
current (:mod:`readlist.core.completion_words`), with ``awk``: a completion
takes a few milliseconds at 10,000 papers. In bash, an id with a colon
(``doi:10.1145/...``, ``arXiv:2101.03961``) completes whole although bash
splits words at ``:``. zsh uses the bash script through ``bashcompinit``.
"""

import shlex
from typing import Annotated, Any

import typer

from readlist.cli.app import app, library, settings

STATUSES = ("to-read", "reading", "read", "dropped")
SHELLS = ("bash", "zsh", "fish")

# What a value is, by the parameter's name: words of the words file (i id, k key, t tag, s source,
# g suggestion key), a fixed list, or a file name.
_BY_NAME: dict[str, str] = {
    "ref": "w:ik", "refs": "w:ik", "keys": "w:g", "tag": "w:t", "tags": "w:t", "out": "f", "file": "f",
    "directory": "d", "source_file": "f",
}  # fmt: skip
_CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("list", "sort"): ("added", "title", "year", "status", "author", "published"),
    ("suggestions", "sort"): ("fit", "curator"),
    ("export markdown", "group_by"): ("none", "status", "tag", "month"),
    ("completion", "shell"): SHELLS,
}


@app.command("completion")
def completion(
    shell: Annotated[str, typer.Argument(help="bash, zsh or fish.", metavar="SHELL")],
) -> None:
    """Print shell completion for bash, zsh or fish (commands, options, ids, keys, tags, statuses, sources).

    Add `eval "$(readlist completion bash)"` to ~/.bashrc, `eval "$(readlist completion zsh)"` to
    ~/.zshrc, or `readlist completion fish > ~/.config/fish/completions/readlist.fish`.
    """
    from readlist.core.errors import BadInput

    shell = shell.strip().lower()
    if shell not in SHELLS:
        raise BadInput(f"no completion for {shell!r}: give bash, zsh or fish")
    refresh_words()
    commands = command_table()
    words = str(words_file())
    typer.echo(fish_script(commands, words) if shell == "fish" else bash_script(commands, words, zsh=shell == "zsh"))


def words_file() -> Any:
    from readlist.core.completion_words import words_path

    return words_path(settings().library_path)


def refresh_words() -> bool:
    """Rewrite the words file from the library as it is now (False where it could not be written)."""
    from readlist.core.completion_words import write_words
    from readlist.sources import registry

    lib = library()
    snap = lib.snapshot()
    try:
        names = [s.name for s in registry.sources(lib.settings)]
    except Exception:  # a bad [sources] table is reported by the commands that use it, not here
        names = []
    picked = {str(p.get("source")) for s in snap.suggestions.values() for p in s.get("picks") or ()
              if isinstance(p, dict)}  # fmt: skip
    return write_words(
        lib.settings.library_path,
        list(snap.stored_light.values()),  # ids, keys and tags, stored as they are: no text read, none expanded
        [*names, *snap.sources, *sorted(picked)],
        suggestions=list(snap.suggestions),
        stamp=_stamp_text(snap.stamp),
    )


def _stamp_text(stamp: Any) -> str:
    return ",".join(str(part) for part in stamp) if isinstance(stamp, tuple) else ""


def keep_words_current(tui: bool) -> None:
    """After a command that wrote the library (or the TUI, which may have), rewrite the words file.

    Reading commands write nothing. A cache: a failure here never fails the command.
    """
    from readlist.core.completion_words import add_words, written_stamp

    if library.cache_info().currsize == 0:
        return  # the library was never opened
    lib = library()
    try:
        if tui:
            if written_stamp(lib.settings.library_path) == _stamp_text(lib.stamp()):
                return
        elif lib.written_stamp() is None:
            return
        else:
            replaced, added = lib.last_write()
            old, new = _stamp_text(replaced), _stamp_text(lib.written_stamp())
            if added is not None and old and add_words(lib.settings.library_path, old, new, added):
                return  # the words were current, and this write only added some (a paper, a tag) or none
        refresh_words()
    except Exception:
        pass


# -- the command tree --------------------------------------------------------------


def command_table() -> dict[str, dict[str, Any]]:
    """Command path ("export bibtex") -> its options, which of them take a value and what, its arguments."""
    import typer.main

    root = typer.main.get_command(app)
    table: dict[str, dict[str, Any]] = {}

    def walk(command: Any, path: list[str]) -> None:
        subs: dict[str, Any] = getattr(command, "commands", None) or {}
        name = " ".join(path)
        entry: dict[str, Any] = {"subcommands": sorted(subs) if subs else [], "options": [], "values": {}, "args": []}
        entry["help"] = (command.get_short_help_str(60) if path else "") or ""
        for param in command.params:
            kind = _kind(name, param.name or "")
            if param.param_type_name == "option":
                opts = [*param.opts, *param.secondary_opts]
                entry["options"] += opts
                if not getattr(param, "is_flag", False) and param.nargs == 1:
                    for opt in opts:
                        entry["values"][opt] = kind
                elif param.nargs > 1:
                    for opt in opts:
                        entry["values"][opt] = "n"  # several values: not completed
            elif param.param_type_name == "argument":
                entry["args"].append(kind + ("*" if param.nargs == -1 else ""))
        entry["options"] += ["-h", "--help"]
        table[name] = entry
        for sub in sorted(subs):
            walk(subs[sub], [*path, sub])

    walk(root, [])
    return table


def _kind(command: str, name: str) -> str:
    if (command, name) in _CHOICES:
        return "l:" + ",".join(_CHOICES[command, name])
    if name == "source":
        return "w:s" if command in ("pull", "suggestions") else "n"
    if name == "status":
        return "l:" + ",".join(STATUSES)
    return _BY_NAME.get(name, "n")


# -- bash (and zsh through bashcompinit) ----------------------------------------------


def bash_script(commands: dict[str, dict[str, Any]], words: str, zsh: bool = False) -> str:
    def q(text: str) -> str:
        return shlex.quote(text)

    rows = []
    for path, entry in commands.items():
        rows.append(f"  [{q(path or '.')}]={q(' '.join(entry['subcommands']))}")
    subs = "\n".join(rows)
    opts = "\n".join(f"  [{q(path or '.')}]={q(' '.join(e['options']))}" for path, e in commands.items())
    values = "\n".join(
        f"  [{q((path or '.') + ' ' + opt)}]={q(kind)}"
        for path, e in commands.items()
        for opt, kind in e["values"].items()
    )
    args = "\n".join(f"  [{q(path or '.')}]={q(' '.join(e['args']))}" for path, e in commands.items())
    head = "autoload -U +X bashcompinit && bashcompinit\n" if zsh else ""
    return (
        f"# readlist completion for {'zsh' if zsh else 'bash'}: "
        f'eval "$(readlist completion {"zsh" if zsh else "bash"})"\n'
        + head
        + _BASH.replace("__WORDS__", q(words))
        .replace("__SUBS__", subs)
        .replace("__OPTS__", opts)
        .replace("__VALUES__", values)
        .replace("__ARGS__", args)
    )


_BASH = r"""declare -gA _readlist_subs=(
__SUBS__
)
declare -gA _readlist_opts=(
__OPTS__
)
declare -gA _readlist_values=(
__VALUES__
)
declare -gA _readlist_args=(
__ARGS__
)

_readlist_words() {  # kinds (e.g. ik), prefix: matching words of the words file
    local file=${READLIST_HOME:+$READLIST_HOME/completion-words.txt}
    file=${file:-__WORDS__}
    [[ -f $file && ! -L $file ]] || return 0
    awk -F '\t' -v kinds="$1" -v cur="$2" \
        'NR > 1 && length($1) == 1 && index(kinds, $1) && index($2, cur) == 1 { print $2 }' "$file"
}

_readlist_values_of() {  # kind, prefix
    local kind=$1 cur=$2
    case $kind in
        w:*) _readlist_words "${kind#w:}" "$cur" ;;
        l:*) kind=${kind#l:}; IFS=$' \t\n' compgen -W "${kind//,/ }" -- "$cur" ;;
        f) compgen -f -- "$cur" ;;
        d) compgen -d -- "$cur" ;;
    esac
}

_readlist() {
    # The words as typed up to the cursor, split at blanks only: bash's own words are also split
    # at ":" (COMP_WORDBREAKS), which would cut doi:10.1145/... and arXiv:2101.03961 in two.
    local line=${COMP_LINE:0:COMP_POINT}
    local -a words
    read -ra words <<< "$line"
    local cur=""
    if [[ $line != *[[:space:]] && ${#words[@]} -gt 0 ]]; then
        cur=${words[-1]}
        unset 'words[-1]'
    fi
    local path="" i=1 positional=0 word want="" kind
    while (( i < ${#words[@]} )); do
        word=${words[i]}
        if [[ -n $want ]]; then
            want=""
        elif [[ $word == -* ]]; then
            [[ -n ${_readlist_values["${path:-.} ${word%%=*}"]} && $word != *=* ]] && want=1
        elif [[ " ${_readlist_subs[${path:-.}]} " == *" $word "* ]]; then
            path=${path:+$path }$word
            positional=0
        else
            (( positional++ ))
        fi
        (( i++ ))
    done
    # One answer a line, never globbed (a tag may hold "*"); command substitution reads in bulk.
    local -
    set -f
    local IFS=$'\n'
    local -a found=()
    local prev=""
    (( ${#words[@]} > 1 )) && prev=${words[-1]}
    if [[ -n $want ]]; then
        kind=${_readlist_values["${path:-.} $prev"]}
        found=($(_readlist_values_of "$kind" "$cur"))
    elif [[ $cur == -* ]]; then
        found=($(IFS=$' \t\n' compgen -W "${_readlist_opts[${path:-.}]}" -- "$cur"))
    elif [[ -n ${_readlist_subs[${path:-.}]} ]]; then
        found=($(IFS=$' \t\n' compgen -W "${_readlist_subs[${path:-.}]}" -- "$cur"))
    else
        local -a specs
        IFS=' ' read -ra specs <<< "${_readlist_args[${path:-.}]}"
        if (( ${#specs[@]} )); then
            kind=${specs[positional]:-}
            [[ -z $kind && ${specs[-1]} == *'*' ]] && kind=${specs[-1]}
            found=($(_readlist_values_of "${kind%'*'}" "$cur"))
        fi
    fi
    # bash puts each answer in place of the text after the last word-break character (":" or "=")
    # of the word: give it the rest of each word from there, so the whole id ends up on the line.
    local cut=$cur ch
    for (( i = ${#cur} - 1; i >= 0; i-- )); do
        ch=${cur:i:1}
        if [[ $ch != [[:space:]\"\'] && $COMP_WORDBREAKS == *"$ch"* ]]; then
            cut=${cur:0:i+1}
            break
        fi
        cut=""
    done
    if [[ -n $cut ]]; then
        COMPREPLY=("${found[@]#"$cut"}")
    else
        COMPREPLY=("${found[@]}")
    fi
}
complete -o default -F _readlist readlist
"""


# -- fish ------------------------------------------------------------------------------


def fish_script(commands: dict[str, dict[str, Any]], words: str) -> str:
    def q(text: str) -> str:
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"

    lines = [
        "# readlist completion for fish: readlist completion fish > ~/.config/fish/completions/readlist.fish",
        "function __readlist_words --argument-names kinds",
        "    set -l file " + q(words),
        "    set -q READLIST_HOME; and set file $READLIST_HOME/completion-words.txt",
        "    test -f $file; and not test -L $file; or return 0",
        "    awk -F '\\t' -v kinds=$kinds 'NR > 1 && length($1) == 1 && index(kinds, $1) { print $2 }' $file",
        "end",
        "function __readlist_path --argument-names wanted",
        "    set -l words (commandline -opc)",
        "    set -e words[1]",
        "    set -l path",
        "    for word in $words",
        "        string match -q -- '-*' $word; and continue",
        "        if contains -- (string join ' ' $path $word) $__readlist_commands",
        "            set path $path $word",
        "        end",
        "    end",
        "    set -l joined (string join ' ' $path)",
        '    test "$joined" = "$wanted"',
        "end",
        "complete -c readlist -f",
    ]
    names = [path for path in commands if path]
    lines.append("set -g __readlist_commands " + " ".join(q(p) for p in names))
    for path, entry in commands.items():
        condition = f"-n {q('__readlist_path ' + shlex.quote(path))}"
        for sub in entry["subcommands"]:
            child = commands.get(f"{path} {sub}".strip(), {})
            lines.append(f"complete -c readlist {condition} -a {q(sub)} -d {q(child.get('help', ''))}")
        for opt in entry["options"]:
            flag = f"-l {q(opt[2:])}" if opt.startswith("--") else f"-s {q(opt[1:])}"
            kind = entry["values"].get(opt)
            lines.append(f"complete -c readlist {condition} {flag}" + _fish_values(kind, q))
        for spec in dict.fromkeys(a.rstrip("*") for a in entry["args"]):
            lines.append(f"complete -c readlist {condition}" + _fish_values(spec, q))
    return "\n".join(lines) + "\n"


def _fish_values(kind: str | None, q: Any) -> str:
    if kind is None:
        return ""
    if kind.startswith("w:"):
        return f" -x -a {q('(__readlist_words ' + kind[2:] + ')')}"
    if kind.startswith("l:"):
        return f" -x -a {q(kind[2:].replace(',', ' '))}"
    if kind in ("f", "d"):
        return " -r -F"
    return " -x"
