#!/usr/bin/env python3
"""Prints the built-in NACE table of reference/nace.cc (sections and divisions)
from Eurostat's list: gen_nace_table.py ../shared/data/nace_rev2.csv"""
import csv
import sys


def literal(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
    for row in csv.DictReader(f):
        if row['level'] in ('1', '2'):
            print(f'    {{{literal(row["code"])}, {literal(row["parent"])}, {literal(row["title"])}}},')
