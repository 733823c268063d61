"""发展党员: the development pipeline from application to full membership (《中国共产党发展党员工作细则》).

``models`` holds the candidate and its dated step log, ``steps`` the 25 steps as data (order,
stage, rule, due date), ``services`` every write and rule, ``api`` / ``admin`` / ``statistics`` /
``reminders`` the plug-ins (registered from ``members.contributions``).
"""
