"""xuncha.checks"""
