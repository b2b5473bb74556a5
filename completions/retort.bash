# bash completion for retort, the migration compiler.
# Installed into share/bash-completion/completions/retort.
_retort()
{
    local cur prev words cword
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    local commands="compile check heads history branches show schema sql revision merge lint inspect import"
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi
    case $prev in
    -o|--model|--autogenerate|--header)
        COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --dialect)
        COMPREPLY=($(compgen -W "sqlite postgresql" -- "$cur")); return ;;
    -m|--name|--default-url|--library|-r|--at|--head|--branch)
        return ;;
    --dir|--python-path)
        COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --pg-url|--schema|--version-table)
        return ;;
    esac
    local opts
    case ${COMP_WORDS[1]} in
    compile)  opts="-o --name --default-url --library --header" ;;
    check)    opts="--model" ;;
    heads|branches) opts="--verbose" ;;
    history)  opts="-r --verbose --graph" ;;
    schema)   opts="--at --dialect --model" ;;
    sql)      opts="--dialect upgrade downgrade" ;;
    revision) opts="-m --head --branch --autogenerate --dir" ;;
    merge)    opts="-m --dir" ;;
    lint)     opts="--strict --json" ;;
    import)   opts="-o --pg-url --dialect --python-path" ;;
    inspect)  opts="--schema --version-table" ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts --help" -- "$cur"))
    else
        COMPREPLY=($(compgen -d -- "$cur"))
    fi
}
complete -F _retort retort
