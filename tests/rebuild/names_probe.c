/*
 * names_probe.c: asks the SQLite backend whether a table has constraints
 * of the given names, for names.sh, which compares the answers with the
 * names PostgreSQL gives the same table.
 *
 *   names_probe TABLE SQL_FILE NAME...   prints "NAME 1" or "NAME 0" each
 */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

int main(int argc, char **argv)
{
    static char sql[1 << 16];
    if (argc < 3) {
        fprintf(stderr, "usage: names_probe TABLE SQL_FILE NAME...\n");
        return 2;
    }
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    size_t n = fread(sql, 1, sizeof sql - 1, f);
    sql[n] = '\0';
    fclose(f);
    for (int i = 3; i < argc; i++) {
        int r = rt_db_sqlite_has_constraint(argv[1], sql, argv[i]);
        if (r < 0)
            return 1;
        printf("%s %d\n", argv[i], r);
    }
    return 0;
}
