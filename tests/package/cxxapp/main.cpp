// main.cpp: a C++ program using the runtime's C API through its headers.
#include <cstdio>

#include <retort/retort.h>

int main()
{
    // The dialects by name, through the C API from C++.
    int d = retort_dialect_parse("postgresql");
    std::printf("%s\n", d == RETORT_POSTGRESQL ? "postgresql" : "?");
    return d == RETORT_POSTGRESQL ? 0 : 1;
}
