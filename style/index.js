import './base.css';
import './runner.css';
