"""Party dues (党费) and branch funds (党费返还): standards, bases, the ledger, arrears, funds.

Rules follow 《关于中国共产党党费收缴、使用和管理的规定》(中组发〔2008〕3号); the rates themselves
are data (``members.DuesStandard`` / ``DuesBracket``).
"""
